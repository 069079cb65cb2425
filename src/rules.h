/*
 * rules.h
 *		Rule sets (rules.c, rule_keys.c): the parsed "rules" argument, its
 *		per-call-site cache, and the constants the rule values index.
 */
#ifndef KPI_RULES_H
#define KPI_RULES_H

#include "fixed.h"
#include "tally.h"

#include "access/tupdesc.h"
#include "utils/jsonb.h"
#include "windowapi.h"

/*
 * Agency task-result templates (rules.md AG3): the components a template
 * can give points to, in this order, and the kinds of agency.
 */
#define KPI_AGENCY_NCOMP	6
#define KPI_COMP_WORK_PLAN	0
#define KPI_COMP_PROCEDURES	1
#define KPI_COMP_PAR		2
#define KPI_COMP_SIPAS		3
#define KPI_COMP_PCI		4
#define KPI_COMP_DTI		5
extern const char *const kpi_agency_components[KPI_AGENCY_NCOMP];

#define KPI_AGENCY_NKINDS	2
#define KPI_KIND_MINISTRY	0
#define KPI_KIND_PROVINCE	1
extern const char *const kpi_agency_kinds[KPI_AGENCY_NKINDS];

/* Index normalisation methods (rules.md IX5). */
#define KPI_INDEX_NMETHODS	3
#define KPI_INDEX_SCALE		0
#define KPI_INDEX_MINMAX	1
#define KPI_INDEX_RANK		2
extern const char *const kpi_index_methods[KPI_INDEX_NMETHODS];

/* Law-making score template (rules.md LM4), in this order. */
#define KPI_LM_NCOMP		5
#define KPI_LM_PROGRESS		0
#define KPI_LM_QUALITY		1
#define KPI_LM_OBSTACLES	2
#define KPI_LM_INITIATIVES	3
#define KPI_LM_IMPACT		4
extern const char *const kpi_lm_components[KPI_LM_NCOMP];

/*
 * Law-making role groups of the revised pilot draft (rules.md LM5), in this
 * order: the values of kpi.lawmaking_document.role.
 */
#define KPI_LM_NROLES		6
#define KPI_LM_DRAFTING		0
extern const char *const kpi_lm_roles[KPI_LM_NROLES];

/*
 * A rule set (rules.md section 6), parsed from the jsonb "rules" argument.
 * Fixed-point fields are in units of 1/KPI_ONE.
 */
#define KPI_MAX_MARKS 32

/*
 * A row of the table that rates a year from its period tiers (CY3): the
 * tier, given when each condition holds: the number of periods rated one of
 * the tiers in mask (bit 0 worst .. bit 3 best) is at least at_least and at
 * most at_most (-1: no bound).  The first row that holds applies.
 */
#define KPI_MAX_TIER_ROWS 8
#define KPI_MAX_TIER_CONDS 4
typedef struct KpiTierCond
{
	int			mask;
	int			at_least;
	int			at_most;
} KpiTierCond;

typedef struct KpiTierRow
{
	int			tier;			/* index, 0 worst .. 3 best */
	int			nconds;
	KpiTierCond conds[KPI_MAX_TIER_CONDS];
} KpiTierRow;

typedef struct KpiRules
{
	int64		quality_deduction;
	int64		progress_deduction;
	bool		quality_deduction_given;
	bool		progress_deduction_given;
	bool		strict_progress;	/* CS7 "strict" reading */
	bool		cap;			/* CS8 caps at 100 */
	int64		general_points; /* 30 */
	int64		task_points;	/* 70 */
	int64		threshold_excellent;	/* 90 */
	int64		threshold_good; /* 70 */
	int64		threshold_complete; /* 50 */
	int64		leader_full;	/* 100: CS10 value when the criterion is met */
	int64		leader_reduced; /* 50 */
	int			rounding_scale; /* 2 */
	int64		quota_rate;		/* CS15: 0.20 */
	bool		quota_pooled;	/* CS15 pooled reading */
	int			discipline_min; /* CS14: lightest disqualifying form, index */
	int			screen_down_years;	/* CS16 */
	int			screen_out_years;
	int			screen_up_years;
	int			nmarks;			/* general-criteria form (CS3) */
	int64		marks_max[KPI_MAX_MARKS];
	/* agencies (AG2-AG5), indices (IX5), law-making (LM4): constants above */
	int			agency_nmarks;	/* AG2 form; 0 when not configured */
	int64		agency_marks_max[KPI_MAX_MARKS];
	bool		agency_template_set[KPI_AGENCY_NKINDS]; /* false: not configured */
	int64		agency_template[KPI_AGENCY_NKINDS][KPI_AGENCY_NCOMP];	/* AG3 points */
	int64		online_weight;	/* AG3 procedures: weight of the online share */
	bool		head_cap;		/* AG5 */
	int			index_method;	/* IX5: KPI_INDEX_SCALE, _MINMAX or _RANK */
	int64		lm_template[KPI_LM_NCOMP];	/* LM4 points, adding up to 100 */
	int64		initiatives_target; /* LM4: initiatives earning full points */
	bool		lm_role_template_set[KPI_LM_NROLES];	/* LM5; false: lm_template */
	int64		lm_role_template[KPI_LM_NROLES][KPI_LM_NCOMP];
	int64		lm_role_weight[KPI_LM_NROLES];	/* LM6 */
	bool		lm_rollup_roles;	/* LM6: weight by role only, not x documents */
	int64		lm_par_weight;	/* LM7: share of the PAR component from law-making */
	int			ntier_rows;		/* CY3: the year from its period tiers */
	KpiTierRow	tier_table[KPI_MAX_TIER_ROWS];
	bool		deputy_cap;		/* CY5: a deputy's tier capped at the head's */
	int32		discipline_reform;	/* CS14: DateADT from which Decree 172/2025's forms apply */
	bool		forms_quarter;	/* CY2: general marks and d/dd/e dated on the quarter */
	bool		annual_tiers;	/* CY3: the year's tier from its period tiers */
	bool		unapproved_skip;	/* CY1: officials not yet approved skipped, not refused */
	int			min_days_worked;	/* CY4: fewer days worked in a period: not rated */
} KpiRules;

/*
 * What a function keeps in fn_extra between calls: the last rules value and
 * its parse, and the OIDs of the kpi.tier labels.
 */
typedef struct KpiFnExtra
{
	Jsonb	   *rules_source;	/* NULL until a parse succeeded */
	KpiRules	rules;
	Oid			tier_type;		/* InvalidOid until looked up */
	Oid			tier_oids[4];	/* khong_hoan_thanh, hoan_thanh, tot, xuat_sac */
	TupleDesc	result_desc;	/* a composite result's row type, once blessed */
} KpiFnExtra;

/* rules.c */
extern KpiFnExtra *kpi_fn_extra(FunctionCallInfo fcinfo);
extern const KpiRules *kpi_rules_arg(FunctionCallInfo fcinfo, int argno);
extern const KpiRules *kpi_rules_value(FunctionCallInfo fcinfo, Datum rules);
extern const KpiRules *kpi_window_rules(FunctionCallInfo fcinfo, WindowObject winobj,
										int argno, int64 nrows, const char *what);
extern const KpiRules *kpi_rules_default(void);
extern Jsonb *kpi_rules_to_jsonb(const KpiRules *rules);
extern void kpi_rules_check_tally(const KpiRules *rules, const KpiTally *t);

/* Disciplinary forms, lightest first, as in the kpi.discipline_form enum. */
#define KPI_NFORMS 6
extern const char *const kpi_discipline_forms[KPI_NFORMS];

#endif							/* KPI_RULES_H */
