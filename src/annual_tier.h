/*
 * annual_tier.h
 *		The year's tier from its period tiers (rules.md CY3): the rule
 *		value annual_tier_table and kpi.annual_tier.
 */
#ifndef KPI_ANNUAL_TIER_H
#define KPI_ANNUAL_TIER_H

#include "kpi_eval.h"

#include "lib/stringinfo.h"

extern void kpi_tier_table_parse(const char *key, JsonbIteratorToken tok, JsonbIterator **it,
								 JsonbValue *v, KpiRules *r);
extern void kpi_tier_table_append(StringInfo s, const KpiRules *r);

#endif							/* KPI_ANNUAL_TIER_H */
