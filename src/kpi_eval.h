/*
 * kpi_eval.h
 *		The declarations every C file of kpi_eval may use, one header per
 *		concept: fixed.h (fixed point), tally.h (the kpi.tally summary),
 *		rules.h (rule sets), score.h (results, tiers, criterion d);
 *		lawmaking.h, annual_tier.h, apportion.h, drop_guard.h and
 *		rule_keys.h are included where they are needed.
 */
#ifndef KPI_EVAL_H
#define KPI_EVAL_H

#include "postgres.h"

#ifndef HAVE_INT128
#error "kpi_eval needs a 128-bit integer type"
#endif

#include "fixed.h"
#include "tally.h"
#include "rules.h"
#include "score.h"

#endif							/* KPI_EVAL_H */
