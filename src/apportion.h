/*
 * apportion.h
 *		Exact largest-remainder apportionment (rules.md PAY3), shared by the
 *		window functions of apportion.c and the bonus regulation of bonus.c.
 */
#ifndef KPI_APPORTION_H
#define KPI_APPORTION_H

#include "postgres.h"

/* Most steps a total may hold: keeps steps x weight products inside int128. */
#define KPI_APPORTION_MAX_STEPS		INT64CONST(1000000000000000000)	/* 10^18 */

/* What the apportionment gave one row. */
typedef struct KpiShare
{
	int64		steps;			/* the share, in steps */
	bool		capped;			/* the share is the row's cap */
	bool		extra;			/* one of the leftover steps went to this row */
} KpiShare;

/*
 * weight[i] >= 0 are exact integers (a common decimal scale already
 * applied); null[i] rows take no part; cap[i] < 0 means no cap, else the
 * most steps row i may take.  Rows are in the caller's order.  Returns the
 * steps nobody could take (every row with a weight capped), normally 0.
 */
extern int64 kpi_apportion_steps(int64 n, const int128 *weight, const bool *null,
								 const int64 *cap, int64 steps, KpiShare *share);

/* The number of steps in total (an exact multiple of step), checked. */
extern int64 kpi_total_steps(Datum total, Datum step, const char *context);

/* Weight as an int128 at "scale" decimals; weight is a numeric. */
extern int	kpi_numeric_scale_of(Datum num);
extern int128 kpi_numeric_scaled(Datum num, int scale, const char *context);

/* The numeric value of steps x step. */
extern Datum kpi_steps_amount(int64 steps, Datum step);

#endif							/* KPI_APPORTION_H */
