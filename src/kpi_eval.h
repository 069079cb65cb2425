/*
 * kpi_eval.h
 *		Shared declarations: fixed-point arithmetic, the kpi.tally summary,
 *		rule sets.
 *
 * Every quantity the extension sums is a fixed-point integer, so that the
 * same rows give the same bits in any order and any plan (rules.md N0.2).
 */
#ifndef KPI_EVAL_H
#define KPI_EVAL_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/array.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#ifndef HAVE_INT128
#error "kpi_eval needs a 128-bit integer type"
#endif

/*
 * Inputs (coefficients, quantities, rates, marks, scores) are exact decimals
 * with at most KPI_DIGITS fractional digits, held as int64 in units of
 * 1/KPI_ONE.  Their magnitude is below KPI_INPUT_LIMIT units of the SQL value,
 * so a scaled input is below 10^16 and a product of two is below 10^32, far
 * inside int128.
 */
#define KPI_DIGITS			4
#define KPI_ONE				INT64CONST(10000)
#define KPI_SCALED_LIMIT	INT64CONST(10000000000000000)	/* 10^16 */
#define KPI_INPUT_LIMIT_TEXT "1000000000000"

/* Sums of products carry 2 * KPI_DIGITS fractional digits. */
#define KPI_PRODUCT_DIGITS	(2 * KPI_DIGITS)

/* Result of converting a numeric to fixed point. */
typedef enum KpiFixedStatus
{
	KPI_FIXED_OK,
	KPI_FIXED_NAN,
	KPI_FIXED_INFINITE,
	KPI_FIXED_NEGATIVE,
	KPI_FIXED_TOO_PRECISE,
	KPI_FIXED_TOO_LARGE
} KpiFixedStatus;

/* fixed.c */
extern KpiFixedStatus kpi_numeric_to_fixed(Datum num, int64 *result);
extern int64 kpi_fixed_arg(Datum num, const char *what, const char *context);
extern void kpi_report_fixed(KpiFixedStatus status, const char *what,
							 const char *context, Datum num) pg_attribute_noreturn();
extern Numeric kpi_int128_to_numeric(int128 value, int scale);
extern Numeric kpi_fixed_to_numeric(int64 value);
extern char *kpi_int128_to_cstring(int128 value, int scale);
extern char *kpi_fixed_cstring(int64 value);
extern char *kpi_sum_cstring(int128 value);
extern char *kpi_trimmed_cstring(int128 value, int scale);
extern bool kpi_cstring_to_int128(const char *str, int scale, int128 *result,
								  const char **endptr);
extern void kpi_overflow128(const char *what) pg_attribute_noreturn();
extern void kpi_skip_space(const char **p);
extern void kpi_syntax_error(const char *type, const char *str,
							 const char *detail) pg_attribute_noreturn();
extern Numeric kpi_num_add(Numeric a, Numeric b);
extern Numeric kpi_num_mul(Numeric a, Numeric b);
extern Numeric kpi_num_div(Numeric a, Numeric b);
extern Numeric kpi_num_int(int64 v);
extern Numeric kpi_round_ratio(Numeric num, Numeric den, int scale);

/* Overflow-checked int128 addition; inline because it runs per task line. */
static inline int128
kpi_add128(int128 a, int128 b, const char *what)
{
	int128		r;

	if (unlikely(__builtin_add_overflow(a, b, &r)))
		kpi_overflow128(what);
	return r;
}

/*
 * kpi_fixed_arg for the common case, inline: an uncompressed numeric in the
 * short format (what every value below 10^12 with few digits is), zero or
 * positive, with no digit beyond KPI_DIGITS decimals.  Anything else,
 * including every error, takes the general path.
 *
 * The base-10000 digits d[0..n-1] (numeric strips zero digits at both ends)
 * are worth sum d[i] 10000^(weight - i + 1) units of 1/KPI_ONE, which is
 * Horner's sum over the digits times 10000^(weight - n + 2): exact when that
 * exponent is not negative (no digit below 10^-4) and weight <= 2 (below
 * 10^12).  Then n <= 4, and the result is below 10^16.
 */
static inline int64
kpi_numeric_digit(const char *p, int i)
{
	int16		d;

	memcpy(&d, p + sizeof(uint16) + i * sizeof(int16), sizeof(int16));
	return d;
}

static pg_attribute_always_inline int64
kpi_fixed_arg_fast(Datum num, const char *what, const char *context)
{
	static const int64 scale[5] = {1, INT64CONST(10000), INT64CONST(100000000),
	INT64CONST(1000000000000), INT64CONST(10000000000000000)};
	struct varlena *v = (struct varlena *) DatumGetPointer(num);
	const char *p;
	int			len;
	uint16		hdr;
	int			weight;
	int			n;
	int			e;
	int64		acc = 0;

	if (VARATT_IS_SHORT(v))
	{
		p = VARDATA_SHORT(v);
		len = VARSIZE_SHORT(v) - VARHDRSZ_SHORT;
	}
	else if (VARATT_IS_4B_U(v))
	{
		p = VARDATA(v);
		len = VARSIZE(v) - VARHDRSZ;
	}
	else
		return kpi_fixed_arg(num, what, context);
	if (unlikely(len < (int) sizeof(uint16)))
		return kpi_fixed_arg(num, what, context);
	memcpy(&hdr, p, sizeof(uint16));
	/* short format (0x8000), positive (0x2000 clear) */
	if (unlikely((hdr & 0xE000) != 0x8000))
		return kpi_fixed_arg(num, what, context);
	/* the 7-bit weight, sign-extended */
	weight = (int) (int8) (uint8) (hdr << 1) >> 1;
	n = (len - (int) sizeof(uint16)) / (int) sizeof(int16);
	e = weight - n + 2;
	if (unlikely(e < 0 || weight > 2))
		return kpi_fixed_arg(num, what, context);
	/* a short varlena is not aligned: memcpy (one load on common targets) */
#define KPI_DIGIT(i) kpi_numeric_digit(p, i)
	switch (n)
	{
		case 0:
			return 0;
		case 1:
			acc = KPI_DIGIT(0);
			break;
		case 2:
			acc = KPI_DIGIT(0) * 10000 + KPI_DIGIT(1);
			break;
		case 3:
			acc = (KPI_DIGIT(0) * 10000 + KPI_DIGIT(1)) * 10000 + KPI_DIGIT(2);
			break;
		default:
			acc = ((KPI_DIGIT(0) * 10000 + KPI_DIGIT(1)) * 10000 + KPI_DIGIT(2)) * 10000 +
				KPI_DIGIT(3);
			break;
	}
#undef KPI_DIGIT
	return acc * scale[e];
}

#include "tally.h"

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
} KpiFnExtra;

/* rules.c */
extern KpiFnExtra *kpi_fn_extra(FunctionCallInfo fcinfo);
extern const KpiRules *kpi_rules_arg(FunctionCallInfo fcinfo, int argno);
extern const KpiRules *kpi_rules_value(FunctionCallInfo fcinfo, Datum rules);
extern const KpiRules *kpi_rules_default(void);
extern Jsonb *kpi_rules_to_jsonb(const KpiRules *rules);
extern void kpi_rules_check_tally(const KpiRules *rules, const KpiTally *t);

/* period_agg.c */
extern ArrayType *kpi_state_array(FunctionCallInfo fcinfo, int argno, int len,
								  bool writable, const char *caller, int64 **v);

/* Disciplinary forms, lightest first, as in the kpi.discipline_form enum. */
#define KPI_NFORMS 6
extern const char *const kpi_discipline_forms[KPI_NFORMS];

/* tier.c */
extern const Oid *kpi_tier_oids(FunctionCallInfo fcinfo, Oid typoid);
extern int	kpi_tier_index(FunctionCallInfo fcinfo, Oid typoid, Oid value);
extern const char *const kpi_tier_names[4];

/* score.c */
extern Numeric kpi_round_numeric(Numeric value, int scale);
extern int64 kpi_score_arg(Datum score, const char *what, const KpiRules *rules);
extern Numeric kpi_sum_marks(ArrayType *marks, const int64 *max, int nmax,
							 const char *form, const char *key);

/* agency.c */
extern bool kpi_task_fraction(const KpiTally *t, const KpiRules *rules,
							  Numeric *num, Numeric *den);

/* indices.c */
extern int	kpi_index_code(const char *code, int len);
extern Numeric kpi_index_value(int code, Datum value);
extern Numeric kpi_index_scale_fraction(int code, Numeric value, bool higher_is_better);
extern Numeric kpi_num_trim(Numeric value);

#endif							/* KPI_EVAL_H */
