/*
 * rule_keys.h
 *		The table of rule keys (rule_keys.c), shared by the parser
 *		(rules.c) and the printer of kpi.effective_rules.
 */
#ifndef KPI_RULE_KEYS_H
#define KPI_RULE_KEYS_H

#include "kpi_eval.h"

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

/* room for every key in the parser's arrays (checked in rule_keys.c) */
#define KPI_MAX_RULE_KEYS 64

extern const RuleKey kpi_rule_keys[];
extern const int kpi_nrule_keys;

/* The value a key describes, in a KpiRules. */
#define FIELD(r, off, type)	((type *) ((char *) (r) + (off)))

#endif							/* KPI_RULE_KEYS_H */
